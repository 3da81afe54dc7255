"""The package's version, in a module that imports nothing.

Why a module of its own: the command line prints it, and importing it from the
package itself (``t2dm_onto/__init__.py``) would make the CLI depend on the
package's entry point, one layer up.
"""

__version__ = "0.1.0"
