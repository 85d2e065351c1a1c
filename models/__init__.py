"""Trained artefacts and the small code that defines, saves and loads them.

Training writes through this package and the service reads through it; neither reaches into the other.
"""
