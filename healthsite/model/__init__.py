"""The site model: pages, bodies, Read More cards and translations, assembled from what was read."""
