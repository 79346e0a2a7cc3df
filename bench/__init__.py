"""`make bench`: the cost of the generator and the modules, measured against bare tools."""
