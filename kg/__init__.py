"""kg: turn archival document collections into knowledge graphs historians can explore."""

__version__ = "0.1.0"
