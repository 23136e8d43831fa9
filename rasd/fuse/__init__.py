"""fuse stage."""
