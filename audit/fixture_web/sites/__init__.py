"""The demo market's five sites, one module per company, on a shared page layout (``layout.py``)."""
