/** The User-Agent Gatehouse sends upstream. */
export const GATEWAY_USER_AGENT = 'gatehouse';
