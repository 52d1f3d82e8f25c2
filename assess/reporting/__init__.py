"""Report rendering: plain text, charts, HTML and PDF, all from one result dict."""
