"""Batch classification and anonymisation of files of complaints."""
