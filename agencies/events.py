"""What agency administration tells the apps above it (they register in their `AppConfig.ready()`).

`agencies_merged(keep, merge)`: sent inside the merge's transaction once everything that pointed at
`merge` points at `keep`. Records, teams and grants changed agency, so what each agency's readers
may see changed with them: drift forgets the partner views it stored under the old picture.
"""

from django.dispatch import Signal

agencies_merged = Signal()
