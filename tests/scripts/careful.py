"""How a careful vendor answers, shared by the vendor simulators.

- free text in its own words, never the questionnaire's example (which
  boussole flags as copied): ten words or more, with an address where the
  example has one; short examples (a word or two, a licence id) are formats
  and kept as they are;
- a document cited wherever the question requires one.
"""

EXAMPLE_MIN_WORDS = 6  # as boussole's check::suspect::EXAMPLE_MIN_WORDS


def words(text):
    return [w for w in "".join(c if c.isalnum() else " " for c in text.lower()).split() if w]


def text(q, vendor="notre société"):
    """The vendor's own words for a free-text question."""
    example = q["example"]
    if q["answer_type"] != "text" or len(words(example)) < EXAMPLE_MIN_WORDS:
        return example
    own = f"Démarche propre à {vendor} pour {q['id']}, décrite dans notre mémoire technique"
    if "https://" in example:
        own += f" : https://candidat.example.eu/{q['id'].lower()}"
    return own


def document(q):
    """The document cited for a question that requires one, else None."""
    return f"Annexe {q['id']} — pièce justificative.pdf" if q.get("evidence") else None
