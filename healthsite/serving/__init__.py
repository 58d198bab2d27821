"""The dev server: a warm build kept between saves, file watching and serving."""
