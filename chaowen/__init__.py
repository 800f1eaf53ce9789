"""chaowen: a static-site generator for the 潮闻 exchange journal."""

__version__ = "0.1.0"
