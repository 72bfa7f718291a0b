"""``appeal serve``: a local web page for a letter-writing night.

Attendees write, preview, download and queue personal letters from their phones; the
organizer prints the queue as one PDF with envelopes or labels. Every letter is made by the
same library calls as the CLI (:mod:`appeal.compose`, :mod:`appeal.render`,
:mod:`appeal.batch`, :mod:`appeal.ledger`); this package only adds the web front end.
"""
