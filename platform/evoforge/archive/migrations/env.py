"""Alembic environment: evoforge runs migrations itself (see migrate.py) on a connection it
already holds inside a locked transaction, and passes that connection in."""
from alembic import context

from evoforge.archive.revision import VERSION_TABLE

context.configure(
    connection=context.config.attributes["connection"],
    version_table=VERSION_TABLE,
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
