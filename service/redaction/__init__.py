"""Personal-data detection and anonymisation for publication."""
