"""Writing the outputs to the site folder, and the cache of what is kept between builds."""
