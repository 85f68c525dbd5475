"""Shared office mode: users and roles, data scopes, the permission guard, login.

Modules (import the one you need; this package imports nothing at start-up):

- :mod:`.context`   the acting user attached to sessions (``Actor``, ``act_as``, ``bind_actor``)
- :mod:`.passwords` Argon2id password hashing
- :mod:`.users`     accounts: create, authenticate with lockout, reset, deactivate
- :mod:`.scope`     which unit owns a row; the units below a unit
- :mod:`.guard`     the ORM listener that enforces role and scope on every write
- :mod:`.login`     logging a client in, and who the CLI runs as
- :mod:`.conflicts` optimistic-locking conflicts with both versions for the conflict dialog
- :mod:`.changes`   the cheap change counter views poll to refresh
- :mod:`.audit_query` browsing and filtering the audit log
- :mod:`.cli`       ``drillplan users ...`` and ``--user NAME``

The audit log itself (``record``, and the complete log of changes made by an actor) is
:mod:`drillplan.audit.log`. See ``docs/shared-mode.md``.
"""
