"""PostgreSQL for the test suite: Django's own backend, with a cheaper flush.

A transactional test (a real worker, threads, a browser) ends with a flush of the whole database. Django's is one
TRUNCATE of every table (some 150), which replaces each table's files: one to four seconds a test here, some
ninety tests. A test writes to a few tables; this flush empties just those with DELETE, in one transaction (the
foreign keys Django creates are checked at its commit). The end is the same as Django's: every table empty and no
sequence reset (Django's flush after a test resets none either).
"""

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        quoted = [self.quote_name(table) for table in tables]
        with self.connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(
                f"SELECT {number} WHERE EXISTS (SELECT 1 FROM {table})" for number, table in enumerate(quoted)))
            holding = sorted(row[0] for row in cursor.fetchall())
        return [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(quoted[number])};" for number in holding]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
