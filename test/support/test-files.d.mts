export declare const inProcessFiles: () => string[];
export declare const ownProcessFiles: () => string[];
