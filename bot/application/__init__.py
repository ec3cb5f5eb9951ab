"""Pre-filled applications (issue 5): model, sealed store, signed links and the resident's page.

A resident who likely qualifies gets an application prepared from the screening answers plus a few
collected in chat; hand-off adapters (`bot.handoff`) take it further, the page shows it.
"""
