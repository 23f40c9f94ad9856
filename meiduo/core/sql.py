"""Fixed SQL statements for the hot paths (catalog reads, cart adds, order placement) instead of querysets.

Building a queryset and compiling it costs several times what SQLite or PostgreSQL take to run the
statement (docs/performance.md): the hot paths write their statements once, with identifiers in
"double quotes" — `dialect` gives MySQL's `backquotes` — and read the rows straight into what they need.

- `rows` / `changed`: run one statement, get its rows / the number of rows it changed (on the backend's own
  cursor: `_cursor`);
- `instance_with` loads one model instance by primary key with one statement of all its columns, the values
  converted as the ORM would (aware datetimes on SQLite …), without compiling a query each time, and the value
  of one more expression read by the same statement;
- `upserts` tells whether the database has `INSERT … ON CONFLICT` and `… RETURNING` on INSERT, UPDATE and
  DELETE (SQLite ≥ 3.35, PostgreSQL); where it has not (MySQL, MariaDB) callers keep their ORM path.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Context, Decimal
from functools import lru_cache
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

M = TypeVar("M", bound=Model)
_CENT = Decimal("0.01")
_DECIMAL_CONTEXT = Context(prec=15)  # what Django's SQLite converter uses for a DECIMAL column read as a float


@lru_cache(maxsize=1024)
def dialect(vendor: str, statement: str) -> str:
    """The statement for this engine: identifiers are written "quoted", which MySQL writes `quoted`."""
    return statement.replace('"', "`") if vendor == "mysql" else statement


def rows(
    statement: str,
    params: Sequence[Any] = (),
    *,
    using: str = DEFAULT_DB_ALIAS,
    adapt: Callable[[str, str], str] = dialect,
) -> list[tuple[Any, ...]]:
    """Every row of one statement (a SELECT, or a write with RETURNING); `adapt(vendor, statement)` gives its text
    for the engine it runs on."""
    connection = connections[using]
    with _cursor(connection) as cursor:
        cursor.execute(adapt(connection.vendor, statement), params)
        return list(cursor.fetchall())


def changed(statement: str, params: Sequence[Any] = (), *, using: str = DEFAULT_DB_ALIAS) -> int:
    """Run one INSERT, UPDATE or DELETE; the number of rows it changed."""
    connection = connections[using]
    with _cursor(connection) as cursor:
        cursor.execute(dialect(connection.vendor, statement), params)
        return int(cursor.rowcount)


@contextmanager
def _cursor(connection: BaseDatabaseWrapper) -> Iterator[Any]:
    """The backend's own cursor (its parameter style, its error translation; on SQLite the write queue) without
    Django's cursor wrapper, which costs 5-7 µs of a 20-µs statement — unless statements are being logged or
    counted (DEBUG, the tests' query counters, `make bench`'s): then Django's, so that each one is seen."""
    if connection.queries_logged or connection.execute_wrappers:
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors:
        cursor = connection.create_cursor()
        try:
            yield cursor
        finally:
            cursor.close()


def upserts(*, using: str = DEFAULT_DB_ALIAS) -> bool:
    """True where `INSERT … ON CONFLICT (…) DO …` and `RETURNING` on every write exist (SQLite ≥ 3.35, PostgreSQL)."""
    connection = connections[using]
    return connection.vendor != "mysql" and bool(connection.features.can_return_columns_from_insert)


def decimal_of(value: Decimal | float | int) -> Decimal:
    """A two-place DECIMAL column's value as the ORM gives it (SQLite hands these back as float or int)."""
    if isinstance(value, float):
        value = _DECIMAL_CONTEXT.create_decimal_from_float(value)
    return Decimal(value).quantize(_CENT)


Converter = Callable[..., Any]
# (statement, field names, [(column index, [(converter, takes the connection's ops first)], expression)])
_Plan = tuple[str, list[str], list[tuple[int, list[tuple[Converter, bool]], Any]]]
_plans: dict[tuple[type[Model], str, str], _Plan] = {}


def _plan(model: type[Model], also: str, connection: BaseDatabaseWrapper) -> _Plan:
    """What `instance_with` runs for a model, an expression and a database, made once (compiling it costs more
    than running it).

    The backend's converters are methods of one connection's `ops`: kept unbound, they are called with the
    `ops` of the connection at hand (each thread or greenlet has its own).
    """
    plan = _plans.get((model, also, connection.alias))
    if plan is None:
        meta = model._meta
        fields = meta.concrete_fields
        columns = ", ".join(f'"{field.column}"' for field in fields)
        table, key = meta.db_table, meta.pk.column
        statement = f'SELECT {columns}, ({also}) FROM "{table}" WHERE "{key}" = %s'  # noqa: S608 - our own text
        compiler = model._default_manager.none().query.get_compiler(connection=connection)
        steps = []
        for index, (functions, expression) in compiler.get_converters(
            [field.get_col(meta.db_table) for field in fields]
        ).items():
            on_ops = [getattr(function, "__self__", None) is connection.ops for function in functions]
            unbound = [
                getattr(function, "__func__", function) if ops else function
                for function, ops in zip(functions, on_ops, strict=True)
            ]
            steps.append((index, list(zip(unbound, on_ops, strict=True)), expression))
        plan = _plans[(model, also, connection.alias)] = (
            dialect(connection.vendor, statement),
            [field.attname for field in fields],
            steps,
        )
    return plan


def instance_with(
    model: type[M], pk: Any, also: str, also_params: Sequence[Any] = (), *, using: str = DEFAULT_DB_ALIAS
) -> tuple[M | None, Any]:
    """The model instance with this primary key (every concrete field loaded, as `objects.get` would), or None,
    and the value of the SQL expression `also` (a fixed text, with `also_params` for its placeholders; None when
    there is no such row), in one statement."""
    connection = connections[using]
    statement, names, steps = _plan(model, also, connection)
    with _cursor(connection) as cursor:
        cursor.execute(statement, [*also_params, pk])
        row = cursor.fetchone()
    if row is None:
        return None, None
    values = list(row[:-1])
    ops = connection.ops
    for index, functions, expression in steps:
        value = values[index]
        for function, on_ops in functions:
            value = function(ops, value, expression, connection) if on_ops else function(value, expression, connection)
        values[index] = value
    return model.from_db(using, names, values), row[-1]
