import { jobNameOf } from './wes-routes.ts';

describe('jobNameOf', () => {
  it.each([
    ['align', 'align'],
    ['align.cwl', 'align'],
    ['align.WDL', 'align'],
    ['https://host/api/v1/jobs/align', 'align'],
    ['https://host/x/my%20job.py?v=1#a', 'my job'],
    ['bad%zz', 'bad%zz'],
    ['align.txt', 'align.txt'],
  ])('reads %s as %s', (url, name) => {
    expect(jobNameOf(url)).toBe(name);
  });
});
