"""Language engines: plain Python over text, free of HTTP and of Azure's JSON shapes.

Offsets and lengths returned by engines are in Python string indices
(Unicode code points); the API layer converts them to the index type a
request asks for.
"""
