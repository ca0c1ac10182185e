"""`any_of(field, values)`: `field__in=values` for long lists, sent as one array on PostgreSQL.

`field__in=values` writes one placeholder per value. With a thousand ids (a partner manager's
queue at county scale reads about 1,300 cases and their households) the driver spends milliseconds
splitting the query and quoting each value, and PostgreSQL parsing them, for every such query.
`field = ANY(%s)` sends the list as a single array parameter and PostgreSQL plans it the same way
(an `IN` list becomes `= ANY(ARRAY[...])` there anyway). Elsewhere (SQLite, the embedded default)
it is `IN`, as Django writes it.

    Case.objects.filter(any_of("pk", ids))
    Case.objects.exclude(any_of("pk", ids))

`pair_of(first, second, pairs)`: (first, second) is one of `pairs`, for a table keyed on both columns
(a partner manager's stored views are read by (case, key of the view) for about 1,300 cases).
"""

import copy

from django.db.models import BooleanField, Expression, F
from django.db.models.lookups import In
from django.db.models.sql.where import AND, WhereNode

INTEGER_COLUMNS = ("smallint", "integer", "bigint")
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1


class AnyOf(In):
    """Django's `In`, with the values as one array on PostgreSQL (`None` dropped, as `In` does)."""

    def as_sql(self, compiler, connection):
        # A number beyond a bigint matches no integer column: dropped, as on PostgreSQL below (SQLite refuses to bind it).
        if self.lhs.output_field.db_type(connection) in INTEGER_COLUMNS:
            kept = [value for value in self.rhs if not (type(value) is int and not BIGINT_MIN <= value <= BIGINT_MAX)]
            if len(kept) != len(self.rhs):
                within = copy.copy(self)
                within.rhs = kept
                return super(AnyOf, within).as_sql(compiler, connection)
        return super().as_sql(compiler, connection)

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        values = [value for value in self.rhs if value is not None]
        # Ids of an integer column, the usual list, go as one bigint array literal written here: preparing 40,000
        # of them one by one costs 80 ms, and the driver's own dumping of a list of ints, element by element in
        # Python, 18 ms for 6,600 ids where the literal costs 7 ms (PostgreSQL compares an integer column with
        # bigints through the same index).
        if field.db_type(connection) in INTEGER_COLUMNS and all(type(value) is int and BIGINT_MIN <= value <= BIGINT_MAX for value in values):
            return f"{lhs} = ANY(%s::bigint[])", (*lhs_params, "{" + ",".join(map(str, values)) + "}")
        values = [field.get_db_prep_value(value, connection, prepared=False) for value in values]
        return f"{lhs} = ANY(%s)", (*lhs_params, values)


def any_of(field_name: str, values) -> AnyOf:
    """The condition `field_name` is one of `values` (a filter or exclude argument; an empty list matches nothing)."""
    return AnyOf(F(field_name), list(values))


class PairOf(Expression):
    """(first, second) is one of `pairs`. On PostgreSQL the pairs go as two arrays, unnested and joined on the
    table's index over both columns (a unique constraint, say): one index probe a pair. Given each column's
    `any_of` instead, PostgreSQL cannot tell how few rows match both lists and reads the whole table.

    Elsewhere (SQLite, the embedded default) it is `any_of` on each column, which also matches pairs
    crossed over (the first of one pair with the second of another): callers keep the rows whose pair
    they asked for.
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, first, second, pairs):
        super().__init__()
        self.first, self.second, self.pairs = first, second, list(pairs)

    def get_source_expressions(self):
        return [self.first, self.second]

    def set_source_expressions(self, expressions):
        self.first, self.second = expressions

    def columns(self):
        return ((self.first, [first for first, _ in self.pairs]), (self.second, [second for _, second in self.pairs]))

    def as_sql(self, compiler, connection):
        return compiler.compile(WhereNode([AnyOf(column, values) for column, values in self.columns()], connector=AND))

    def as_postgresql(self, compiler, connection):
        columns, casts, params, arrays = [], [], [], []
        for column, values in self.columns():
            sql, column_params = compiler.compile(column)
            field = column.output_field
            columns.append(sql)
            casts.append(f"%s::{field.db_type(connection)}[]")
            params.extend(column_params)
            arrays.append([field.get_db_prep_value(value, connection, prepared=False) for value in values])
        # The columns are the compiler's quoted SQL, the casts their fields' database types; the pairs are parameters.
        sql = f"({', '.join(columns)}) IN (SELECT * FROM unnest({', '.join(casts)}))"  # nosec B608
        return sql, (*params, *arrays)


def pair_of(first: str, second: str, pairs) -> PairOf:
    """The condition (`first`, `second`) is one of `pairs` (see `PairOf` for SQLite); no pairs match nothing."""
    return PairOf(F(first), F(second), pairs)
