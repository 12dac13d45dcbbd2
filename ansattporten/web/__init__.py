"""The HTTP edge: thin Litestar controllers that read the request, call one flow and
turn its outcome into a response. The only package besides `app.py` that imports
Litestar."""
