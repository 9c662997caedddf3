import './tracing'; // first: instruments the modules imported below (when tracing is on)
import 'reflect-metadata';
import { runServiceCli } from '@platform/runtime';
import { authorizationServer } from './authorization-server';

void runServiceCli(authorizationServer);
