"""Views of the partner ecosystem, one module per area; each stays thin:
object for user → form → service → redirect or render."""
