"""Headless Chromium (Debian's `chromium` package) driven over the DevTools protocol, for browser tests.

``chromium`` finds and starts the browser; ``devtools`` is the small protocol client (open a page,
evaluate JavaScript, wait for a condition, take a screenshot).
"""
