"""One module per stage, its declaration above its body. Bodies import their algorithms when
they run, so reading the declarations (`voc --help`) stays instant."""
