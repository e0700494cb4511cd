from kfp import dsl
from kfp.dsl import *
from typing import *

def produce(data: Output[Dataset]):
    with open(data.path, 'w') as f:
        f.write('a\nb\nc\n')
    data.metadata['rows'] = 3
    data.metadata['source'] = 'inline'
