"""The one notification mechanism: a record per recipient, e-mail deferred to the task worker.

Imports no app model: callers (the services that change state) say who is told what, and pass
the object so that each recipient's scope is checked with the object's own ``for_user``.
"""
