"""Rendering the site model into outputs: templates, pages, feeds, sitemap, images, preview images, search."""
