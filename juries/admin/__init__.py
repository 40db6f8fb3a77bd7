"""French admin: the maquette read-only, students and their cursus editable with search and filters."""

from . import cursus, maquette, students  # noqa: F401
