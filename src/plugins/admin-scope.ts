// /__admin/* is the mock's own control API: outside the gates, the faults and the journal.

/** Whether a request URL is under /__admin (with or without a query). */
export const isAdminUrl = (url: string): boolean => url.startsWith('/__admin/') || url === '/__admin' || url.startsWith('/__admin?');
