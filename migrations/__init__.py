"""elearn's Alembic migrations, shipped in the wheel as the package `elearn.migrations`."""
