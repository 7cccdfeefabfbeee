"""An alliance's own words: difficulty circles, groups, need categories, discovery channels."""
