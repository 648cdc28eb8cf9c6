"""Drives our /ogcapi/ with OWSLib, the OGC's Python client; prints what it saw as one JSON line.

usage: ogcapi_client.py <base-url> <api-key> run <process> <inputs-json>
       ogcapi_client.py <base-url> <api-key> start <process> <inputs-json>
       ogcapi_client.py <base-url> <api-key> dismiss <job-id>
"""
import base64
import json
import sys
import time

import requests
from owslib.ogcapi.processes import Processes
from owslib.util import Authentication


class Bearer(requests.auth.AuthBase):
    def __init__(self, key):
        self.key = key

    def __call__(self, request):
        request.headers['Authorization'] = f'Bearer {self.key}'
        return request


def main():
    base, key, mode, *rest = sys.argv[1:]
    auth = Bearer(key)
    api = Processes(f'{base}/ogcapi/', auth=Authentication(auth_delegate=auth))
    if mode == 'dismiss':
        print(json.dumps({'dismissed': api._request(method='DELETE', path=f'jobs/{rest[0]}')}))
        return
    process_id, inputs = rest[0], json.loads(rest[1])
    ids = [p['id'] for p in api.processes()]
    description = api.process(process_id)
    created = api.execute(process_id, inputs=inputs, async_=True)
    location = api.response_headers['Location']
    out = {'processes': ids, 'description': description, 'created': created, 'location': location}
    if mode == 'start':
        print(json.dumps(out))
        return
    job_path = f"jobs/{created['jobID']}"
    deadline = time.time() + 60
    status = api._request(path=job_path)
    while status['status'] in ('accepted', 'running') and time.time() < deadline:
        time.sleep(0.2)
        status = api._request(path=job_path)
    out['status'] = status
    out['jobs'] = [job['jobID'] for job in api._request(path='jobs')['jobs']]
    if status['status'] == 'successful':
        results = api._request(path=f'{job_path}/results')
        out['results'] = {
            name: base64.b64encode(requests.get(base + link['href'], auth=auth, timeout=30).content).decode()
            for name, link in results.items()
        }
    print(json.dumps(out))


main()
