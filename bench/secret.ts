/** The HS256 secret of the relays that the benches and the tests start (never a real deployment's). */
export const RELAY_SECRET = 'test-secret-0123456789abcdef0123456789';
