from kfp import dsl
from kfp.dsl import *
from typing import *

def describe(data: Input[Dataset]) -> str:
    return '%s:%d' % (data.metadata['source'], data.metadata['rows'])
