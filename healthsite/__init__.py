"""healthsite: a static-site generator for plain-language health content."""

__version__ = "0.1.0"
