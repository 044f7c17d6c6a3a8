"""Shared infrastructure: scoping, PDF, charts, exports, form helpers, middleware, audit rendering.

Imports no app model; every app may import it."""
