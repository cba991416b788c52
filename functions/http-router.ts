/**
 * The one HTTP handler shape of the seller-facing functions (api, planning): Powertools' logger
 * context, the JSON error bodies of lib/http, and @middy/http-router over the function's routes,
 * with one 404 for a path no route serves and a 405 with `Allow` for a wrong method on a known one.
 */
import middy from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import httpRouterHandler, { type Route } from '@middy/http-router';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { HttpError } from '#http/errors.ts';
import { httpErrors, methodNotAllowed } from '#http/http.ts';
import { allowedMethods } from '#shared/definitions.ts';

type Handled = Pick<Route<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>, 'method' | 'path' | 'handler'>;

export function httpRouterFunction(logger: Logger, routes: readonly Handled[]) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(injectLambdaContext(logger))
    .use(httpErrors(logger))
    .handler(
      httpRouterHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>({
        routes: routes.map((r) => ({ method: r.method, path: r.path, handler: r.handler })),
        notFoundResponse: ({ method, path }) => {
          const allowed = allowedMethods(path);
          if (allowed !== undefined) throw methodNotAllowed(method, path, allowed);
          throw new HttpError(404, 'not-found', `No route for ${method} ${path}.`);
        },
      }),
    );
}
