import { cronProblem } from './cron-check.ts';

describe('cronProblem', () => {
  it.each(['* * * * *', '*/2 * * * * 2027', '0 30 9 * * mon-fri 2027', '@daily', '@every 5m', '0 0 1,15 jan *'])(
    'accepts %s',
    (cron) => expect(cronProblem(cron)).toBeNull(),
  );

  it.each([
    ['not a cron', /fields/],
    ['61 * * * *', /minute "61"/],
    ['* 24 * * *', /hour "24"/],
    ['0 0 * * * 99', /year "99"/],
    ['70 0 0 * * * *', /second "70"/],
    ['* * * * * * * *', /8 fields/],
    ['*/x * * * *', /step/],
    ['@sometimes', /shorthand/],
  ])('refuses %s', (cron, message) => expect(cronProblem(cron)).toMatch(message));
});
