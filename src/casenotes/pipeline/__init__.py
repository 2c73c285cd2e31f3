"""One module per pipeline stage; each stage is a plain function over domain objects."""
