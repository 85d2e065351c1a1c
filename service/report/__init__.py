"""Analyst reports on a ``casework batch`` output: counts of sectors and themes as CSV and an HTML page.

``read`` turns the file into typed columns, ``labels`` orders and describes labels from the taxonomy,
``counts`` computes the tables, ``charts`` draws them as SVG, ``page`` lays out the HTML and ``write``
puts the files in the output directory.
"""
