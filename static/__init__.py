"""elearn's static files (CSS, icons, scripts), shipped in the wheel as the package `elearn.static`."""
