import sys

from bench.scaleout.run import main

main(sys.argv[1:])
