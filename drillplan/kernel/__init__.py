"""The kernel every other package builds on; it imports nothing from the persistence layer (db)
or above.

* :mod:`~drillplan.kernel.errors`: the typed errors (``ValidationError(field, message)``,
  ``NotFound``, ``Conflict`` and its ``EditConflict`` for optimistic locking,
  ``PermissionDenied``).
* :mod:`~drillplan.kernel.vocab`: the vocabularies with their Chinese and English labels.
* :mod:`~drillplan.kernel.values`: the one value-parsing kernel (text, codes, numbers, lists,
  ``parse_enum`` for a code / 中文 / English label, phone, credit code, dates), pure.
* :mod:`~drillplan.kernel.records`: the session helpers of the write functions (get a row,
  merge the given fields, ``check_version`` / ``flush`` raising ``EditConflict``, unique).
* :mod:`~drillplan.kernel.atomic`: files written whole or not at all (``atomic_write``,
  ``atomic_path``, ``FileWriteError``) for every file the tool writes (backups included).
* identity, progress (the one ``Cancelled``), formatting, resources.
"""
