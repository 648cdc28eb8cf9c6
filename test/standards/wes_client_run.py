"""Drives our /ga4gh/wes/v1 with wes-service's WESClient, GA4GH's reference client; prints one JSON line.

usage: wes_client_run.py <host:port> <headers-json> run <descriptor> <params-json> <attachment>
       wes_client_run.py <host:port> <headers-json> start <descriptor> <params-json>
       wes_client_run.py <host:port> <headers-json> cancel <run-id>
       wes_client_run.py <host:port> <headers-json> list
"""
import base64
import json
import sys
import time

import requests
from wes_client.util import WESClient


def wait_for(client, run_id, states):
    deadline = time.time() + 60
    state = client.get_run_status(run_id)['state']
    while state not in states and time.time() < deadline:
        time.sleep(0.2)
        state = client.get_run_status(run_id)['state']
    return state


def main():
    host, headers, mode, *rest = sys.argv[1:]
    client = WESClient({'auth': json.loads(headers), 'proto': 'http', 'host': host})
    if mode == 'list':
        print(json.dumps({'service': client.get_service_info(), 'list': client.list_runs()}))
    elif mode == 'cancel':
        run_id = rest[0]
        answer = client.cancel(run_id)
        print(json.dumps({'answer': answer, 'state': wait_for(client, run_id, ('CANCELED',))}))
    else:
        descriptor, params, *attachments = rest
        created = client.run(descriptor, params, attachments)
        out = {'created': created}
        if mode == 'run':
            out['state'] = wait_for(client, created['run_id'], ('COMPLETE', 'EXECUTOR_ERROR', 'SYSTEM_ERROR'))
            log = client.get_run_log(created['run_id'])
            out['log'] = log
            fetch = lambda url: base64.b64encode(requests.get(f'http://{host}{url}', timeout=30).content).decode()
            out['outputs'] = {name: fetch(url) for name, url in log['outputs'].items()}
            out['stdout'] = [fetch(t['stdout']) for t in log['task_logs'] if t['stdout']]
        print(json.dumps(out))


main()
