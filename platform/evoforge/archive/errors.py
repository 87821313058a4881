"""Archive errors a user can act on (each message names the archive or object involved)."""
from evoforge.errors import EvoforgeError


class ArchiveError(EvoforgeError):
    """The archive cannot be opened or used as asked."""


class NotFound(ArchiveError):
    """A run or variant id that the archive does not hold."""
