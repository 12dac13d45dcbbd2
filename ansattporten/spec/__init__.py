"""Pure protocol helpers, one module per specification.

Each module is named after the RFC (or OpenID / JOSE document) it implements so that a
reader can check the code against the text. Nothing here does I/O or knows about the web
framework, the database or settings; errors are raised from `ansattporten.errors`.
"""
