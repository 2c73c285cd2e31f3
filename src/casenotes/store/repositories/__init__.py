"""Repository functions: every SQL statement of the application lives in this package.

Each function takes the session as its first argument and keyword-only arguments after it;
the caller (a service) owns the transaction.
"""
