"""Vendor-neutral helpers every vendor adapter may import (it is not a vendor itself)."""
