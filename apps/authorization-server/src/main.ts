import 'reflect-metadata';
import { runServiceCli } from '@platform/runtime';
import { authorizationServer } from './authorization-server';

void runServiceCli(authorizationServer);
