from . import code as code, openrlhf as openrlhf, trl as trl, verl as verl
